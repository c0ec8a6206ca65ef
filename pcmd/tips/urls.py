from django.urls import path

from pcmd.tips import views

app_name = "tips"
urlpatterns = [
    path("", views.tip_list, name="list"),
    path("new/", views.tip_create, name="create"),
    path("stats/", views.stats, name="stats"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notifications-read"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.tip_detail, name="detail"),
    path("<int:pk>/assign/", views.tip_assign, name="assign"),
    path("<int:pk>/verify/", views.tip_verify, name="verify"),
    path("<int:pk>/classify/", views.tip_classify, name="classify"),
    path("<int:pk>/handle/", views.tip_handle, name="handle"),
    path("<int:pk>/transfer/", views.tip_transfer, name="transfer"),
    path("<int:pk>/pause/", views.tip_pause, name="pause"),
    path("<int:pk>/resume/", views.tip_resume, name="resume"),
    path("<int:pk>/extend/", views.tip_extend, name="extend"),
    path("<int:pk>/message/", views.tip_message, name="message"),
    path("<int:pk>/reveal/", views.tip_reveal, name="reveal"),
]
