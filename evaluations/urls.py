from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.index, name="index"),
    path("board/", views.dashboard, name="dashboard"),
    path("board/report/", views.report, name="report"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("initiatives/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("initiatives/<int:pk>/values/", views.measurement_quick_entry, name="measurement_quick_entry"),
    path("initiatives/<int:pk>/values/import/", views.measurement_import, name="measurement_import"),
    path("initiatives/<int:pk>/schedule/", views.schedule_edit, name="schedule_edit"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/values.csv", views.measurement_export, name="measurement_export"),
    path("indicators/<int:pk>/edit/", views.indicator_update, name="indicator_update"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("indicators/<int:pk>/measurements/new/", views.measurement_create, name="measurement_create"),
    path("measurements/<int:pk>/edit/", views.MeasurementUpdateView.as_view(), name="measurement_update"),
    path("measurements/<int:pk>/delete/", views.MeasurementDeleteView.as_view(), name="measurement_delete"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/hold/", views.review_hold, name="review_hold"),
    path("reminders/", views.reminder_log, name="reminder_log"),
    path("reminders/<int:pk>/retry/", views.reminder_retry, name="reminder_retry"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
