from django.urls import path

from filing.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.home, name="home"),
    path("verify/", views.verify, name="verify"),
    path("start/<slug:code>/", views.start, name="start"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/section/<slug:key>/", views.section, name="section"),
    path("<int:pk>/section/<slug:key>/computed/", views.computed, name="computed"),
    path("<int:pk>/roster/<slug:key>/", views.roster, name="roster"),
    path("<int:pk>/roster/<slug:key>/template.xlsx", views.roster_template, name="roster_template"),
    path("<int:pk>/roster/<slug:key>/upload/", views.roster_upload, name="roster_upload"),
    path("<int:pk>/roster/<slug:key>/rows/<int:row_pk>/", views.row_edit, name="row_edit"),
    path(
        "<int:pk>/roster/<slug:key>/rows/<int:row_pk>/delete/", views.row_delete, name="row_delete"
    ),
    path(
        "<int:pk>/roster/<slug:key>/rows/<int:row_pk>/files/<slug:evidence>/",
        views.row_file_upload,
        name="row_file_upload",
    ),
    path("<int:pk>/attachments/", views.attachments, name="attachments"),
    path("<int:pk>/attachments/<slug:item>/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/files/<int:file_pk>/", views.file_download, name="file_download"),
    path("<int:pk>/files/<int:file_pk>/delete/", views.file_delete, name="file_delete"),
    path("<int:pk>/commitment/", views.commitment, name="commitment"),
    path("<int:pk>/check/", views.check, name="check"),
    path("<int:pk>/send-to-admin/", views.send_to_admin, name="send_to_admin"),
    path("<int:pk>/send-back/", views.send_back, name="send_back"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/print.pdf", views.print_pdf, name="print_pdf"),
    path("<int:pk>/print.docx", views.print_docx, name="print_docx"),
    path("<int:pk>/versions/<int:number>.pdf", views.submission_pdf, name="submission_pdf"),
]
