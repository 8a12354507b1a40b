"""A base for the administration tests: an Administrator and a few helpers."""



from app import db
from app.models import Role, RoleChange, User
from tests.base import FlaskyTestCase


class AdminTestCase(FlaskyTestCase):
    config = {"FLASKY_FOLLOWERS_PER_PAGE": 3}

    def setUp(self) -> None:
        super().setUp()
        self.admin = self.create_user("admin", role="Administrator")

    def role(self, name: str) -> Role:
        return db.session.scalar(db.select(Role).filter_by(name=name))

    def audit_rows(self) -> list[RoleChange]:
        db.session.expire_all()
        return list(db.session.scalars(db.select(RoleChange).order_by(RoleChange.id)))

    def fresh(self, user: User) -> User:
        db.session.expire_all()
        return db.session.get(User, user.id)

    def text(self, response) -> str:
        return response.get_data(as_text=True)

