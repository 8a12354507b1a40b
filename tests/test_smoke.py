from tests.base import FlaskyTestCase


class AppTestCase(FlaskyTestCase):
    def test_app_is_testing(self):
        self.assertTrue(self.app.config["TESTING"])

    def test_home_page(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"Flasky", response.data)
