from django.urls import path

from safeguarding.partnership import views

app_name = "partnership"
urlpatterns = [
    path("", views.home, name="home"),
    path("register/", views.register, name="register"),
    path("register/<slug:section>/", views.section_list, name="section"),
    path("register/<slug:section>/add/", views.section_add, name="add"),
    path("register/<slug:section>/<int:pk>/", views.section_detail, name="record"),
    path("register/<slug:section>/<int:pk>/edit/", views.section_edit, name="edit"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/reset-two-factor/", views.reset_two_factor, name="reset-two-factor"),
]
