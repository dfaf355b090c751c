from django.urls import path

from . import views

app_name = "lado"
urlpatterns = [
    path("", views.index, name="index"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/add/", views.contact_form, name="add"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("contacts/<int:pk>/change/", views.contact_form, name="edit"),
]
