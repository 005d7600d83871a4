"""Who may read patients' requests, handle them (status, assignee, notes), delete them, and who may
see the counts-only report (Django permissions, given to groups by this app's migrations)."""

VIEW_REQUESTS = "enquiries.view_consultationrequest"
VIEW_REPORT = "enquiries.view_enquiry_report"
