from django.urls import path

from evaluations import views

app_name = "evaluations"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("board/", views.DashboardView.as_view(), name="dashboard"),
    path("board/report/", views.ReportView.as_view(), name="report"),
    path("initiatives/<int:pk>/", views.InitiativeDetailView.as_view(), name="initiative_detail"),
    path("initiatives/<int:pk>/indicators/new/", views.IndicatorCreateView.as_view(), name="indicator_create"),
    path("initiatives/<int:pk>/indicators/adopt/", views.IndicatorAdoptView.as_view(), name="indicator_adopt"),
    path("initiatives/<int:pk>/values/", views.MeasurementQuickEntryView.as_view(), name="measurement_quick_entry"),
    path("initiatives/<int:pk>/values/import/", views.MeasurementImportView.as_view(), name="measurement_import"),
    path("initiatives/<int:pk>/schedule/", views.ScheduleEditView.as_view(), name="schedule_edit"),
    path("indicators/<int:pk>/", views.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("indicators/<int:pk>/values.csv", views.MeasurementExportView.as_view(), name="measurement_export"),
    path("indicators/<int:pk>/edit/", views.IndicatorUpdateView.as_view(), name="indicator_update"),
    path("indicators/<int:pk>/delete/", views.IndicatorDeleteView.as_view(), name="indicator_delete"),
    path("indicators/<int:pk>/measurements/new/", views.MeasurementCreateView.as_view(), name="measurement_create"),
    path("measurements/<int:pk>/edit/", views.MeasurementUpdateView.as_view(), name="measurement_update"),
    path("measurements/<int:pk>/delete/", views.MeasurementDeleteView.as_view(), name="measurement_delete"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("reviews/<int:pk>/hold/", views.ReviewHoldView.as_view(), name="review_hold"),
    path("reminders/", views.ReminderLogView.as_view(), name="reminder_log"),
    path("reminders/<int:pk>/retry/", views.ReminderRetryView.as_view(), name="reminder_retry"),
    path("calendar/", views.CalendarSettingsView.as_view(), name="calendar"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar_feed"),
]
