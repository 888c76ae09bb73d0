"""Joining the alliance: the public page, the application form and its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance.core.forms import form_add_service_errors
from members.forms import ApplicationForm
from members.permissions import can_edit_application
from members.selectors.applications import (
    application_list_for,
    application_open_for,
)
from members.services.applications import application_save, application_withdraw


def join(request):
    return render(
        request,
        "members/join.html",
        {"open_application": application_open_for(request.user)},
    )


@login_required
def application_form(request, pk=None):
    application = None
    if pk is not None:
        application = get_object_or_404(application_list_for(request.user), pk=pk)
        if not can_edit_application(request.user, application):
            messages.info(
                request, _("This application was submitted and can no longer change.")
            )
            return redirect(application)
    else:
        existing = application_open_for(request.user)
        if existing is not None and can_edit_application(request.user, existing):
            return redirect("members:application_edit", pk=existing.pk)
        if existing is not None:
            return redirect(existing)
    form = ApplicationForm(request.POST or None, instance=application)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("action") == "submit"
        data = form.cleaned_data
        try:
            application = application_save(
                applicant=request.user,
                application=application,
                focus_areas=data.pop("focus_areas"),
                accept_code_of_conduct=data.pop("accept_code_of_conduct"),
                accept_antitrust_policy=data.pop("accept_antitrust_policy"),
                submit=submit,
                **data,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if submit:
                messages.success(
                    request,
                    _(
                        "Your application for %(name)s has been submitted. Staff "
                        "review it and you will hear from us; you can follow its "
                        "status on your dashboard."
                    )
                    % {"name": application.organization_name},
                )
                return redirect(application)
            messages.success(
                request,
                _("Draft saved. Submit it when it is complete."),
            )
            return redirect("members:application_edit", pk=application.pk)
    return render(
        request,
        "members/application_form.html",
        {"form": form, "application": application},
    )


@login_required
def application_detail(request, pk):
    application = get_object_or_404(application_list_for(request.user), pk=pk)
    return render(
        request, "members/application_detail.html", {"application": application}
    )


@login_required
@require_POST
def application_withdraw_view(request, pk):
    application = get_object_or_404(application_list_for(request.user), pk=pk)
    if application.applicant_id != request.user.pk:
        return render(request, "members/members_only.html", status=403)
    try:
        application_withdraw(application=application)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Your application for %(name)s has been withdrawn.")
            % {"name": application.organization_name},
        )
    return redirect(application)
