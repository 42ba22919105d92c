from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="index"),
    path("assessments/new/", views.AssessmentCreateView.as_view(), name="assessment_create"),
    path("assessments/<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("assessments/<int:pk>/edit/", views.AssessmentUpdateView.as_view(), name="assessment_update"),
    path("assessments/<int:pk>/status/", views.AssessmentStatusView.as_view(), name="assessment_status"),
    path("assessments/<int:pk>/survey/", views.SurveyBuilderView.as_view(), name="survey_builder"),
    path("assessments/<int:pk>/survey/preview/", views.SurveyPreviewView.as_view(), name="survey_preview"),
    path("assessments/<int:pk>/survey/import/", views.SurveyImportView.as_view(), name="survey_import"),
    path("assessments/<int:pk>/survey/copy/", views.SurveyCopyView.as_view(), name="survey_copy"),
    path("assessments/<int:pk>/survey/xlsform.xlsx", views.SurveyExportView.as_view(), name="survey_export"),
    path("assessments/<int:pk>/survey/questions/new/", views.QuestionCreateView.as_view(), name="question_create"),
    path("questions/<int:pk>/edit/", views.QuestionUpdateView.as_view(), name="question_update"),
    path("questions/<int:pk>/delete/", views.QuestionDeleteView.as_view(), name="question_delete"),
    path("questions/<int:pk>/move/", views.QuestionMoveView.as_view(), name="question_move"),
    path("assessments/<int:pk>/survey/paper/", views.SurveyPaperView.as_view(), name="survey_paper"),
    path("assessments/<int:pk>/survey/paper.pdf", views.SurveyPaperView.as_view(pdf=True), name="survey_paper_pdf"),
    path("assessments/<int:pk>/survey/flyer.pdf", views.SurveyFlyerView.as_view(), name="survey_flyer"),
    path("assessments/<int:pk>/survey/paper-entry/", views.PaperEntryView.as_view(), name="paper_entry"),
    path("assessments/<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path("assessments/<int:pk>/results/summary.csv", views.ResultsSummaryCsvView.as_view(), name="results_csv"),
    path("assessments/<int:pk>/results/responses.csv", views.ResponsesCsvView.as_view(), name="responses_csv"),
    path("assessments/<int:pk>/results/text/", views.TextAnswersView.as_view(), name="text_answers"),
    path("public-wording/", views.PublicWordingView.as_view(), name="public_wording"),
    path("consultations/", views.ConsultationListView.as_view(), name="consultation_list"),
    path("consultations/new/", views.ConsultationCreateView.as_view(), name="consultation_create"),
    path("consultations/<int:pk>/", views.ConsultationDetailView.as_view(), name="consultation_detail"),
    path("consultations/<int:pk>/edit/", views.ConsultationUpdateView.as_view(), name="consultation_update"),
    path("consultations/<int:pk>/delete/", views.ConsultationDeleteView.as_view(), name="consultation_delete"),
    path("board/", views.NeedListView.as_view(), name="need_list"),
    path("board/new/", views.NeedCreateView.as_view(), name="need_create"),
    path("board/<int:pk>/", views.NeedDetailView.as_view(), name="need_detail"),
    path("board/<int:pk>/edit/", views.NeedUpdateView.as_view(), name="need_update"),
    path("board/<int:pk>/delete/", views.NeedDeleteView.as_view(), name="need_delete"),
    # Public: no login; the token is the link's secret.
    path("s/<str:token>/", views.SurveyRespondView.as_view(), name="survey_respond"),
    path("s/<str:token>/thanks/", views.SurveyThanksView.as_view(), name="survey_thanks"),
    path("l/<str:code>/", views.SurveyShortLinkView.as_view(), name="survey_short_link"),
]
