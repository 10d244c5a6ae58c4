from django.urls import path

from execsponsor.users import views

app_name = "users"

urlpatterns = [
    path("", views.executive_list, name="executive_list"),
    path("<int:pk>/", views.executive_detail, name="executive_detail"),
]
