"""API of accounts: obtain a token (password + TOTP where the role needs it), and who am I.

Owns: TokenObtainView (POST /api/auth/token/), MeView (GET /api/me/).
Invariants: the token endpoint decides through services.login_check(), exactly as the login page
(2FA enforced the same way, django-axes counts failures), is throttled (scope "token") and
audits TOKEN_ISSUED; it is the only anonymous endpoint outside /api/public/.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from pcmd.accounts import services
from pcmd.accounts.models import User


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(max_length=12, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Thiếu tên đăng nhập.")
        self.fields["password"].error_messages["required"] = _("Thiếu mật khẩu.")


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


class OrgUnitBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField(source="get_full_name")
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")
    org_unit = OrgUnitBriefSerializer(allow_null=True)


class TokenObtainView(APIView):
    """Exchange a username, password and (for roles that need it) a TOTP code for an API token."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: inline_serializer("TokenError", {"detail": serializers.CharField()}),
            429: inline_serializer("TokenLockedOut", {"detail": serializers.CharField()}),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request  # axes keeps its lockout flags on the HttpRequest
        try:
            user = services.login_check(
                request=django_request,
                username=serializer.validated_data["username"],
                password=serializer.validated_data["password"],
                otp=serializer.validated_data["otp"],
            )
        except services.SecondFactorEnrolmentRequired:
            return Response(
                {
                    "detail": _(
                        "Tài khoản cần đăng ký thiết bị xác thực hai lớp trên trang web "
                        "trước khi dùng API."
                    )
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        except ValidationError as exc:
            if exc.code == "locked_out":
                # Answer in JSON ourselves; the axes middleware would send the HTML page.
                django_request.axes_locked_out = False  # type: ignore[attr-defined]
                return Response(
                    {"detail": " ".join(exc.messages)}, status=status.HTTP_429_TOO_MANY_REQUESTS
                )
            return Response(
                {"detail": " ".join(exc.messages), "code": exc.code},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token = services.api_token_issue(request=django_request, user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """The authenticated user: username, role and org unit."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        assert isinstance(user, User)
        return Response(MeSerializer(user).data)
