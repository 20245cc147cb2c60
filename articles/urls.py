from django.urls import path

from . import editor, feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="article-list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<slug:slug>/preview/", views.DraftPreviewView.as_view(), name="article-preview"),
    path(
        "articles/<slug:slug>/references/<slug:format>/",
        views.ArticleReferencesView.as_view(),
        name="article-references",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("feeds/atom/", feeds.AtomFeed(), name="feed-atom"),
    path("feeds/rss/", feeds.RssFeed(), name="feed-rss"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/<str:key>/", views.SourceDetailView.as_view(), name="source-detail"),
    # The markdownx editor posts here (MARKDOWNX_URLS_PATH and MARKDOWNX_UPLOAD_URLS_PATH).
    path("editor/preview/", editor.PreviewView.as_view(), name="editor-preview"),
    path("editor/upload/", editor.ImageUploadView.as_view(), name="editor-upload"),
    path("editor/sources/", editor.SourceSearchView.as_view(), name="editor-sources"),
]
