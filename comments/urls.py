from django.urls import path

from . import address_views, counts, feeds, follow_views, reports, views

app_name = "comments"
urlpatterns = [
    path("post/<int:page_id>/", views.post_comment, name="post"),
    path("stamp/<int:page_id>/", views.fresh_stamp, name="stamp"),
    path("altcha/challenge/", views.altcha_challenge, name="altcha_challenge"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("confirm/<str:token>/", address_views.confirm, name="confirm_address"),
    path("never-email/<str:token>/", address_views.never_email_again, name="never_email"),
    path("follow/<int:page_id>/", follow_views.follow, name="follow"),
    path("follow/confirm/<str:token>/", follow_views.confirm, name="confirm_follow"),
    path("unfollow/<str:token>/", follow_views.stop_following, name="unfollow"),
    path("feed/", feeds.site_feed, name="site_feed"),
    path("feed/<int:page_id>/", feeds.page_feed, name="page_feed"),
    path("counts/", counts.comment_counts, name="counts"),
    path("<int:comment_id>/edit/", views.author_edit, name="author_edit"),
    path("<int:comment_id>/delete/", views.author_delete, name="author_delete"),
    path("<int:comment_id>/report/", reports.report_comment, name="report"),
]
