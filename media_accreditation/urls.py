from django.urls import path

from media_accreditation import views

app_name = "media_accreditation"
urlpatterns = [
    path("media/outlets/", views.outlet_list, name="outlet_list"),
    path("media/outlets/<int:pk>/", views.outlet_detail, name="outlet_detail"),
    path("media/accreditations/<int:pk>/", views.accreditation_detail, name="accreditation_detail"),
    path("media/accreditations/<int:pk>/press-card.pdf", views.press_card, name="press_card"),
    path("media/my/", views.my_accreditations, name="my_accreditations"),
    path("media/review/", views.review_queue, name="review_queue"),
    path("public/media/", views.public_index, name="public_index"),
    path("public/elections/<int:election_pk>/media/", views.public_outlets, name="public_outlets"),
]
