from django.urls import include, path

from safeguarding.accounts import views as account_views
from safeguarding.core import views as core_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("account/", include("safeguarding.accounts.urls")),
    path("p/<slug:slug>/", include("safeguarding.partnership.urls")),
    path("p/<slug:slug>/", include("safeguarding.core.urls")),
    path("p/<slug:slug>/returns/", include("safeguarding.returns.urls")),
    path("p/<slug:slug>/dashboard/", include("safeguarding.dashboard.urls")),
    path("p/<slug:slug>/forecast/", include("safeguarding.forecast.urls")),
    path("p/<slug:slug>/reports/", include("safeguarding.reports.urls")),
    path("p/<slug:slug>/lado/", include("safeguarding.lado.urls")),
    path("p/<slug:slug>/registers/", include("safeguarding.registers.urls")),
    path("p/<slug:slug>/assurance/", include("safeguarding.audits.urls")),
    path("p/<slug:slug>/reviews/", include("safeguarding.reviews.urls")),
    path("p/<slug:slug>/actions/", include("safeguarding.actions.urls")),
    path("published/", include("safeguarding.reports.public_urls")),
    path("survey/", include("safeguarding.registers.public_urls")),
    path("p/<slug:slug>/api-token/", include("safeguarding.api.token_urls")),
    path("api/", include("safeguarding.api.urls")),
]

handler400 = "safeguarding.core.views.bad_request"
handler403 = "safeguarding.core.views.permission_denied"
handler404 = "safeguarding.core.views.page_not_found"
handler500 = "safeguarding.core.views.server_error"
