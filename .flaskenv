FLASK_APP=flasky.py
