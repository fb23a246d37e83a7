from django.urls import path

from .views import appeal, login, password, provider, qr, register, sessions, sms, staff, staff_manage

app_name = "accounts"

urlpatterns = [
    path("login/", login.login_password, name="login"),
    path("login/sms/", login.login_sms, name="login_sms"),
    path("login/qr/", qr.login_qr, name="login_qr"),
    path("login/qr/status/", qr.login_qr_status, name="login_qr_status"),
    path("login/provider/confirm/", provider.provider_confirm, name="provider_confirm"),
    path("login/provider/link/", provider.provider_link, name="provider_link"),
    path("login/provider/<slug:key>/", provider.provider_start, name="provider_start"),
    path("login/provider/<slug:key>/callback/", provider.provider_callback, name="provider_callback"),
    path("bindings/", provider.bindings, name="bindings"),
    path("bindings/<slug:key>/bind/", provider.binding_add, name="binding_add"),
    path("bindings/<slug:key>/unbind/", provider.binding_remove, name="binding_remove"),
    path("login/org/", login.login_staff, name="login_staff"),
    path("login/org/verify/", login.login_staff_verify, name="login_staff_verify"),
    path("logout/", login.logout, name="logout"),
    path("logout/all/", sessions.sign_out_everywhere, name="sign_out_everywhere"),
    path("session/extend/", sessions.session_extend, name="session_extend"),
    path("qr/<str:token>/", qr.qr_confirm, name="qr_confirm"),
    path("register/", register.register, name="register"),
    path("agreement/", register.agreement, name="agreement"),
    path("sms/code/", sms.send_code_fragment, name="send_code"),
    path("password/reset/", password.password_reset, name="password_reset"),
    path("password/change/", password.password_change, name="password_change"),
    path("mobile/change/", password.mobile_change, name="mobile_change"),
    path("appeal/", appeal.appeal, name="appeal"),
    path("appeal/done/", appeal.appeal_done, name="appeal_done"),
    path("org/", staff.staff_home, name="staff_home"),
    path("org/staff/", staff_manage.staff_list, name="staff_list"),
    path("org/staff/<int:pk>/", staff_manage.staff_edit, name="staff_edit"),
    path("org/staff/<int:pk>/active/", staff_manage.staff_activate, name="staff_activate"),
    path("org/password/", password.password_reset_staff, name="password_reset_staff"),
    path("org/appeals/", appeal.appeal_list, name="appeal_list"),
    path("org/appeals/<int:appeal_id>/", appeal.appeal_detail, name="appeal_detail"),
    path("org/appeals/<int:appeal_id>/photo/", appeal.appeal_photo, name="appeal_photo"),
    path("org/appeals/<int:appeal_id>/decide/", appeal.appeal_decide, name="appeal_decide"),
]
