"""Images on posts: re-encoded with Pillow (no metadata, upright, bounded), stored
through the image store, shown with their alt text, served with long-lived
cache headers, deleted with their post, and every bad upload refused with a
reason and nothing stored."""

import base64
import io
import re
import shutil
import tempfile
from pathlib import Path

import feedparser
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app import db
from app.images.files import store
from app.images.processing import process
from app.models import Post, PostImage
from tests import images
from tests.base import FlaskyTestCase
from tests.test_api_base import basic


class ImageTestCase(FlaskyTestCase):
    def setUp(self) -> None:
        self.uploads = tempfile.mkdtemp(prefix="flasky-images-test-")
        self.config = {"FLASKY_UPLOADS_DIR": self.uploads}
        super().setUp()
        self.author = self.create_user("john")
        self.login()

    def tearDown(self) -> None:
        super().tearDown()
        shutil.rmtree(self.uploads, ignore_errors=True)

    def files(self) -> list[Path]:
        return [path for path in Path(self.uploads).rglob("*") if path.is_file()]

    def publish(self, uploads: list[tuple[bytes, str, str]], body: str = "Pictures",
                path: str = "/", **fields):
        """POST the form as a browser would. The body is encoded here, in memory: the
        test client would spool a large one to a file it never closes."""
        values = MultiDict({"body": body, **fields})
        for data, name, alt in uploads:
            values.add("images", FileStorage(io.BytesIO(data), filename=name,
                                             content_type="application/octet-stream"))
            values.add("images_alt", alt)
        boundary, encoded = encode_multipart(values)
        return self.client.post(path, data=encoded,
                                content_type=f"multipart/form-data; boundary={boundary}")

    def count(self, model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    def fetched_image(self, name: str) -> Image.Image:
        response = self.client.get(f"/images/{name}")
        self.assertEqual(response.status_code, 200)
        return Image.open(io.BytesIO(response.data))


class GoodImagesTestCase(ImageTestCase):
    def test_an_image_is_reencoded_upright_without_metadata(self):
        response = self.publish([(images.camera_jpeg(), "holiday.jpg", "A red wall")])
        self.assertEqual(response.status_code, 302, response.data[:2000])
        image = db.session.scalar(select(PostImage))
        stored = self.fetched_image(image.name)
        self.assertEqual(stored.format, "JPEG")
        self.assertEqual(stored.size, (683, 2048))  # turned upright, longest side 2048
        self.assertEqual(dict(stored.getexif()), {})
        self.assertNotIn(b"Phone maker", self.client.get(f"/images/{image.name}").data)
        self.assertEqual(max(self.fetched_image(image.thumbnail_name).size), 400)
        self.assertEqual(len(self.files()), 2)

    def test_each_format_keeps_its_own_and_is_served_for_a_year(self):
        uploads = [(images.png(), "a.png", "PNG"), (images.webp(), "b.webp", "WebP"),
                   (images.animated_gif(5), "c.gif", "GIF"),
                   (images.camera_jpeg(400, 300), "d.jpeg", "JPEG")]
        self.assertEqual(self.publish(uploads).status_code, 302)
        post = db.session.scalar(select(Post))
        types = []
        for image in post.images:
            response = self.client.get(f"/images/{image.name}")
            types.append(response.mimetype)
            self.assertEqual(response.headers["Cache-Control"],
                             "public, max-age=31536000, immutable")
            self.assertEqual(response.headers["X-Content-Type-Options"], "nosniff")
        self.assertEqual(types, ["image/png", "image/webp", "image/gif", "image/jpeg"])
        self.assertEqual(self.fetched_image(post.images[2].name).n_frames, 5)
        self.assertEqual([image.alt_text for image in post.images],
                         ["PNG", "WebP", "GIF", "JPEG"])

    def test_images_show_with_their_alt_text_in_the_card_and_on_the_page(self):
        self.publish([(images.png(), "a.png", 'A "quoted" <b>chart</b>')])
        image = db.session.scalar(select(PostImage))
        alt = 'alt="A &#34;quoted&#34; &lt;b&gt;chart&lt;/b&gt;"'
        home = self.client.get("/").get_data(as_text=True)
        self.assertIn(f'src="/images/{image.thumbnail_name}"', home)
        self.assertIn(alt, home)
        page = self.client.get(f"/post/{image.post_id}").get_data(as_text=True)
        self.assertIn(f'src="/images/{image.name}"', page)
        self.assertIn(alt, page)

    def test_a_posts_images_show_once_each_in_their_order_on_its_page(self):
        # The page loads the post, its author and its images in one joined query:
        # each image must come once, in the order it was added.
        self.publish([(images.png(), f"{n}.png", f"Picture {n}") for n in "abc"])
        post_id = db.session.scalar(select(PostImage.post_id))
        page = self.client.get(f"/post/{post_id}").get_data(as_text=True)
        shown = re.findall(r'alt="(Picture [abc])"', page)
        self.assertEqual(shown, ["Picture a", "Picture b", "Picture c"])

    def test_a_list_shows_each_posts_own_images_in_their_order(self):
        self.publish([(images.png(), f"{n}.png", f"Picture {n}") for n in "ab"], body="Two")
        self.publish([], body="None at all")
        self.publish([(images.webp(), "c.webp", "Picture c")], body="One")
        page = self.client.get("/all").get_data(as_text=True)
        # Newest first: "One" (c), "None at all", then "Two" (a, b).
        self.assertEqual(re.findall(r'alt="(Picture [abc])"', page),
                         ["Picture c", "Picture a", "Picture b"])
        self.assertEqual(len(re.findall(r'class="card post', page)), 3)

    def test_a_list_without_images_loads_no_image_rows(self):
        self.publish([], body="Words only")
        with self.recorded_queries() as statements:
            page = self.client.get("/all").get_data(as_text=True)
        self.assertIn("Words only", page)
        image_reads = [statement for statement in statements if "post_images" in statement]
        self.assertEqual(len(image_reads), 1, image_reads)  # which posts have any: none
        self.assertNotIn("post_images.alt_text", image_reads[0])

    def test_deleting_the_post_deletes_its_files(self):
        self.publish([(images.png(), "a.png", "One"), (images.webp(), "b.webp", "Two")])
        self.assertEqual(len(self.files()), 4)
        post = db.session.scalar(select(Post))
        self.client.post(f"/post/{post.id}/delete")
        self.assertEqual((self.count(PostImage), self.files()), (0, []))

    def test_editing_removes_and_adds_images_within_the_allowance(self):
        self.publish([(images.png(), "a.png", "One"), (images.webp(), "b.webp", "Two")])
        post = db.session.scalar(select(Post))
        first, second = post.images
        response = self.publish([(images.png(), "c.png", "Three")], path=f"/edit/{post.id}",
                                remove_image=str(first.id))
        self.assertEqual(response.status_code, 302)
        db.session.expire_all()
        self.assertEqual([image.alt_text for image in post.images], ["Two", "Three"])
        self.assertEqual(len(self.files()), 4)
        too_many = self.publish([(images.png(), f"{n}.png", f"N{n}") for n in range(3)],
                                path=f"/edit/{post.id}")
        self.assertIn("at most 4 images", too_many.get_data(as_text=True))
        self.assertEqual((self.count(PostImage), len(self.files())), (2, 4))

    def test_a_failed_save_leaves_no_file(self):
        names = [store(encoded) for encoded in (process(images.png()).image,
                                                 process(images.webp()).thumbnail)]
        self.assertEqual(len(self.files()), 2)
        db.session.rollback()
        self.assertEqual(self.files(), [])
        self.assertEqual(self.client.get(f"/images/{names[0]}").status_code, 404)


class BadImagesTestCase(ImageTestCase):
    def assertRefused(self, uploads, message: str) -> None:
        response = self.publish(uploads)
        self.assertEqual(response.status_code, 200)
        self.assertIn(message, response.get_data(as_text=True))
        self.assertEqual((self.count(Post), self.count(PostImage), self.files()), (0, 0, []))

    def test_files_that_only_claim_to_be_images(self):
        for name, data in images.NOT_IMAGES.items():
            with self.subTest(name):
                self.assertRefused([(data, name, "Alt")],
                                   "The file is not a JPEG, PNG, WebP or GIF image.")

    def test_costly_or_broken_images(self):
        cases = {"The image is too large to open.": images.decompression_bomb(),
                 "Animations may have at most 100 frames": images.animated_gif(500),
                 "The image is damaged or incomplete.": images.truncated_jpeg(),
                 "The file is empty.": b""}
        for message, data in cases.items():
            with self.subTest(message):
                self.assertRefused([(data, "upload.png", "Alt")], message)

    def test_a_good_image_beside_a_bad_one_is_not_stored_either(self):
        self.assertRefused([(images.png(), "good.png", "Good"),
                            (images.NOT_IMAGES["drawing.svg"], "bad.svg", "Bad")],
                           "Image 2 (bad.svg): The file is not a JPEG")

    def test_a_fifth_image_and_a_missing_alt_text(self):
        self.assertRefused([(images.png(), f"{n}.png", "Alt") for n in range(5)],
                           "A post may have at most 4 images.")
        self.assertRefused([(images.png(), "chart.png", "  ")],
                           "Image 1 (chart.png) needs its alt text")

    def test_an_oversized_file_is_refused(self):
        self.app.config["MAX_CONTENT_LENGTH"] = 64 * 1024 * 1024
        big = images.png(10, 10) + b"\0" * (8 * 1024 * 1024)
        self.assertRefused([(big, "big.png", "Big")], "Images may be at most 8 MB.")

    def test_a_request_over_the_upload_allowance_is_413(self):
        response = self.publish([(b"\0" * (34 * 1024 * 1024), "huge.png", "Huge")])
        self.assertEqual(response.status_code, 413)
        self.assertEqual(self.files(), [])


class AvatarTestCase(ImageTestCase):
    def upload_avatar(self, data: bytes, filename: str = "me.jpg", **fields):
        values = MultiDict({"name": "", "location": "", "about_me": "", **fields})
        values.add("avatar", FileStorage(io.BytesIO(data), filename=filename))
        boundary, encoded = encode_multipart(values)
        return self.client.post("/edit-profile", data=encoded,
                                content_type=f"multipart/form-data; boundary={boundary}")

    def test_an_uploaded_avatar_is_a_400_pixel_square_shown_instead_of_the_identicon(self):
        self.assertEqual(self.upload_avatar(images.camera_jpeg()).status_code, 302)
        db.session.refresh(self.author)
        name = self.author.avatar_image
        avatar = self.fetched_image(name)
        self.assertEqual((avatar.size, dict(avatar.getexif())), ((400, 400), {}))
        self.assertIn(f'src="/images/{name}"', self.client.get("/user/john").get_data(
            as_text=True))

    def test_replacing_or_removing_it_deletes_the_old_file(self):
        self.upload_avatar(images.png())
        self.upload_avatar(images.webp())
        self.assertEqual(len(self.files()), 1)
        values = MultiDict({"name": "", "location": "", "about_me": "", "remove_avatar": "y"})
        boundary, encoded = encode_multipart(values)
        self.client.post("/edit-profile", data=encoded,
                         content_type=f"multipart/form-data; boundary={boundary}")
        db.session.refresh(self.author)
        self.assertEqual((self.author.avatar_image, self.files()), (None, []))
        self.assertIn('src="/avatar/', self.client.get("/user/john").get_data(as_text=True))

    def test_a_bad_avatar_is_refused_and_the_profile_kept(self):
        response = self.upload_avatar(images.NOT_IMAGES["drawing.svg"], "me.svg",
                                      name="New name")
        self.assertEqual(response.status_code, 200)
        self.assertIn("The file is not a JPEG, PNG, WebP or GIF image.",
                      response.get_data(as_text=True))
        db.session.refresh(self.author)
        self.assertEqual((self.author.name, self.author.avatar_image, self.files()),
                         (None, None, []))

    def test_deleting_the_account_deletes_its_image_files(self):
        self.upload_avatar(images.png())
        self.publish([(images.png(), "a.png", "One"), (images.webp(), "b.webp", "Two")])
        self.assertEqual(len(self.files()), 5)
        response = self.client.post("/settings/delete", data={"password": self.password,
                                                               "username": "john"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual((self.count(PostImage), self.files()), (0, []))


class ImagesElsewhereTestCase(ImageTestCase):
    def test_the_api_and_the_feeds_carry_the_images_with_absolute_urls(self):
        self.publish([(images.png(), "a.png", "A <chart>")])
        image = db.session.scalar(select(PostImage))
        post = self.client.get(f"/api/v1/posts/{image.post_id}",
                               headers=basic("john@example.com", self.password)).json
        self.assertEqual(post["images"], [{
            "id": image.id, "url": f"http://localhost/images/{image.name}",
            "thumbnail_url": f"http://localhost/images/{image.thumbnail_name}",
            "alt_text": "A <chart>", "width": 300, "height": 200}])
        feed = feedparser.parse(self.client.get("/feed.atom").data)
        self.assertFalse(feed.bozo)
        html = feed.entries[0].content[0].value
        self.assertIn(f'src="http://localhost/images/{image.name}"', html)
        self.assertIn('alt="A &lt;chart&gt;"', html)


class ApiImagesTestCase(ImageTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.post = Post(body="For the API", author=self.author)
        db.session.add(self.post)
        db.session.commit()
        self.headers = basic("john@example.com", self.password)

    def add(self, data: bytes | str, alt_text="An image", post_id: int | None = None,
            headers=None):
        encoded = data if isinstance(data, str) else base64.b64encode(data).decode()
        return self.client.post(f"/api/v1/posts/{post_id or self.post.id}/images/",
                                json={"data": encoded, "alt_text": alt_text},
                                headers=headers or self.headers)

    def test_an_image_added_through_the_api(self):
        response = self.add(images.camera_jpeg(), "A red wall")
        self.assertEqual(response.status_code, 201, response.json)
        self.assertEqual(response.headers["Location"], response.json["url"])
        self.assertEqual((response.json["width"], response.json["height"]), (683, 2048))
        stored = self.fetched_image(response.json["url"].rsplit("/", 1)[1])
        self.assertEqual(dict(stored.getexif()), {})
        post = self.client.get(f"/api/v1/posts/{self.post.id}", headers=self.headers).json
        self.assertEqual([image["alt_text"] for image in post["images"]], ["A red wall"])

    def test_bad_images_and_callers_are_refused_with_nothing_stored(self):
        cases = [(images.NOT_IMAGES["drawing.svg"], "An image", "not a JPEG"),
                 (images.decompression_bomb(), "An image", "too large to open"),
                 (images.animated_gif(500), "An image", "at most 100 frames"),
                 (images.truncated_jpeg(), "An image", "damaged or incomplete"),
                 (b"", "An image", "empty"),
                 ("not base64!", "An image", "base64"),
                 (images.png(), "   ", "alt_text"),
                 (images.png(), None, "alt_text")]
        for data, alt_text, message in cases:
            with self.subTest(message):
                response = self.add(data, alt_text)
                self.assertEqual(response.status_code, 400, response.json)
                self.assertIn(message, response.json["message"])
        self.assertEqual((self.count(PostImage), self.files()), (0, []))
        susan = self.create_user("susan")
        self.assertEqual(self.add(images.png(), headers=basic(susan.email, self.password))
                         .status_code, 403)

    def test_a_fifth_image_is_refused(self):
        for number in range(4):
            self.assertEqual(self.add(images.png(), f"Image {number}").status_code, 201)
        response = self.add(images.png(), "One too many")
        self.assertEqual(response.status_code, 400)
        self.assertIn("at most 4 images", response.json["message"])
        self.assertEqual((self.count(PostImage), len(self.files())), (4, 8))
