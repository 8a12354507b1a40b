"""The main blueprint's forms, by area."""

from app.main.forms.admin import EditProfileAdminForm, RoleChangeForm, UserSearchForm
from app.main.forms.messages import MessageForm
from app.main.forms.posts import CommentForm, DraftForm, EditPostForm, PostForm
from app.main.forms.profiles import ABOUT_ME_MAX_LENGTH, EditProfileForm
from app.main.forms.reports import ModerationForm, ReportForm
from app.main.forms.search import SearchForm
from app.main.forms.settings import DeleteAccountForm

__all__ = ["ABOUT_ME_MAX_LENGTH", "CommentForm", "DeleteAccountForm", "DraftForm",
           "EditPostForm",
           "EditProfileAdminForm", "EditProfileForm", "MessageForm", "ModerationForm",
           "PostForm", "ReportForm", "RoleChangeForm",
           "SearchForm", "UserSearchForm"]
