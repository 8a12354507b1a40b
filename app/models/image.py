"""A post's images: files kept by the image store (app/images/), described here."""

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

if TYPE_CHECKING:
    from app.models.post import Post


class PostImage(db.Model):
    __tablename__ = "post_images"
    __table_args__ = (Index("ix_post_images_post_id_position", "post_id", "position"),)

    MAX_PER_POST = 4
    ALT_TEXT_MAX_LENGTH = 500

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    # Required: the image's text for people who cannot see it.
    alt_text: Mapped[str] = mapped_column(String(ALT_TEXT_MAX_LENGTH))
    name: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail_name: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]

    post: Mapped["Post"] = relationship(back_populates="images")

    @property
    def thumbnail_size(self) -> tuple[int, int]:
        """About the thumbnail's size (for the page's layout before it loads)."""
        scale = min(1, 400 / max(self.width, self.height))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    @property
    def file_names(self) -> tuple[str, str]:
        return self.name, self.thumbnail_name

    def __repr__(self) -> str:
        return f"<PostImage {self.name}>"
