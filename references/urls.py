from django.urls import path

from . import views

app_name = "references"

urlpatterns = [
    path("sources/<str:key>/", views.SourceDetailView.as_view(), name="source-detail"),
]
