"""Who becomes Administrator by the FLASKY_ADMIN address, and when (app/admin_address.py).

The attack these tests replay: register the configured address (in another
case) before its owner does, then move the unconfirmed account to an address
you own and confirm that one. The role must only ever follow a *confirmed*
address, be logged, and go when the account leaves the address.
"""

from app import db
from app.admin_address import grant_to_existing_account
from app.models import OutboxMail, Role, RoleChange, User
from app.role_changes import change_role
from tests.base import FlaskyTestCase
from tests.test_auth import latest_mail, link_in


class AdminAddressTestCase(FlaskyTestCase):
    config = {"FLASKY_ADMIN": "admin@example.com"}

    def register(self, email: str, username: str):
        return self.client.post("/auth/register", data={
            "email": email, "username": username,
            "password": self.password, "password2": self.password})

    def changes_of(self, user: User) -> list[RoleChange]:
        return list(db.session.scalars(db.select(RoleChange).filter_by(user_id=user.id)
                                       .order_by(RoleChange.id)))

    def test_registering_the_address_gives_no_role_until_confirmed(self):
        self.register("Admin@Example.com", "mallory")
        mallory = User.by_username("mallory")
        self.assertEqual(mallory.role.name, "User")
        self.assertFalse(mallory.is_administrator())
        self.assertEqual(self.changes_of(mallory), [])

    def test_unconfirmed_account_cannot_change_its_address(self):
        self.register("Admin@Example.com", "mallory")
        for method in ("GET", "POST"):
            response = self.client.open("/auth/change_email", method=method, data={
                "email": "mallory@evil-mail.com", "password": self.password})
            self.assertRedirectsTo(response, "/auth/unconfirmed")
        self.assertEqual(latest_mail().recipient_list, ["admin@example.com"])  # only the first

    def test_the_whole_attack_gets_nowhere(self):
        self.register("Admin@Example.com", "mallory")
        self.client.post("/auth/change_email", data={
            "email": "mallory@evil-mail.com", "password": self.password})
        self.client.post("/auth/confirm")
        recipients = db.session.scalars(db.select(OutboxMail.recipients)).all()
        self.assertEqual(recipients, ["admin@example.com", "admin@example.com"])
        self.assertEqual(self.client.get("/admin/users").status_code, 302)
        mallory = User.by_username("mallory")
        self.assertFalse(mallory.is_administrator())

    def test_unconfirmed_account_cannot_change_its_password_either(self):
        self.register("someone@example.com", "someone")
        response = self.client.get("/auth/change-password")
        self.assertRedirectsTo(response, "/auth/unconfirmed")

    def test_confirming_the_address_grants_the_role_and_logs_it(self):
        self.register("Admin@Example.com", "admin")
        link = link_in(latest_mail(), "/auth/confirm/")
        self.client.get(link)
        admin = User.by_username("admin")
        self.assertTrue(admin.is_administrator())
        [change] = self.changes_of(admin)
        self.assertEqual((change.old_role, change.new_role, change.actor, change.reason),
                         ("User", "Administrator", None, RoleChange.ADMIN_ADDRESS_CONFIRMED))
        self.assertEqual(self.client.get("/admin/users").status_code, 200)
        page = self.client.get("/admin/role-changes").get_data(as_text=True)
        self.assertIn("the FLASKY_ADMIN address was confirmed", page)

    def test_moving_to_the_address_by_a_confirmed_change_grants_the_role(self):
        user = self.create_user("owner", email="owner@example.com")
        self.login("owner@example.com")
        self.client.post("/auth/change_email", data={
            "email": "ADMIN@example.com", "password": self.password})
        self.assertFalse(db.session.get(User, user.id).is_administrator())  # not yet proven
        self.client.get(link_in(latest_mail(), "/auth/change_email/"))
        db.session.refresh(user)
        self.assertEqual(user.email, "admin@example.com")
        self.assertTrue(user.is_administrator())

    def test_leaving_the_address_drops_the_role_it_gave(self):
        self.create_user("boss", email="boss@example.com", role="Administrator")
        admin = self.create_user("admin", email="admin@example.com")
        self.assertTrue(admin.is_administrator())
        self.login("admin@example.com")
        self.client.post("/auth/change_email", data={
            "email": "elsewhere@example.com", "password": self.password})
        self.client.get(link_in(latest_mail(), "/auth/change_email/"))
        db.session.refresh(admin)
        self.assertEqual(admin.email, "elsewhere@example.com")
        self.assertFalse(admin.is_administrator())
        self.assertEqual([c.reason for c in self.changes_of(admin)],
                         [RoleChange.ADMIN_ADDRESS_CONFIRMED, RoleChange.ADMIN_ADDRESS_LEFT])
        # The address is free again: registering it gives nothing until confirmed.
        self.logout()
        self.register("admin@example.com", "mallory")
        self.assertFalse(User.by_username("mallory").is_administrator())

    def test_a_role_given_by_a_person_stays_when_the_address_changes(self):
        boss = self.create_user("boss", email="boss@example.com", role="Administrator")
        admin = self.create_user("admin", email="admin@example.com")
        change_role(boss, admin, db.session.scalar(db.select(Role).filter_by(name="Moderator")))
        change_role(boss, admin, db.session.scalar(
            db.select(Role).filter_by(name="Administrator")))
        db.session.commit()
        admin.email = "elsewhere@example.com"
        db.session.commit()
        self.assertTrue(admin.is_administrator())

    def test_the_only_administrator_cannot_move_away_from_the_address(self):
        admin = self.create_user("admin", email="admin@example.com")
        self.login("admin@example.com")
        response = self.client.post("/auth/change_email", data={
            "email": "elsewhere@example.com", "password": self.password})
        self.assertIn(b"You are the only Administrator", response.data)
        self.assertTrue(db.session.get(User, admin.id).is_administrator())

    def test_deploy_grants_the_role_to_a_confirmed_account_at_a_newly_set_address(self):
        owner = self.create_user("owner", email="owner@example.com")
        waiting = self.create_user("waiting", email="waiting@example.com", confirmed=False)
        self.assertFalse(owner.is_administrator())
        self.app.config["FLASKY_ADMIN"] = "Owner@Example.com"
        grant_to_existing_account()
        self.assertTrue(owner.is_administrator())
        self.app.config["FLASKY_ADMIN"] = "waiting@example.com"
        grant_to_existing_account()
        self.assertFalse(waiting.is_administrator())
