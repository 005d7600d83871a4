from django.apps import AppConfig


class EnquiriesConfig(AppConfig):
    name = "enquiries"
    verbose_name = "Patient enquiries"

    def ready(self):
        # Wagtail's submissions views load page models when imported, so the page model cannot
        # import its listing view; it is named here, once every model is loaded.
        from enquiries.models import ConsultationPage
        from enquiries.submissions import ConsultationRequestsView

        ConsultationPage.submissions_list_view_class = ConsultationRequestsView
