import os

from django.core.wsgi import get_wsgi_application

from esaylov.pagecache import SharedPageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esaylov.settings")
#: Django, behind the keeper of public results pages for signed-out readers (``esaylov.pagecache``).
application = SharedPageCache(get_wsgi_application())
