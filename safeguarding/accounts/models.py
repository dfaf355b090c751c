from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone

from safeguarding.accounts.roles import Role


class Partnership(models.Model):
    """A local safeguarding children partnership: the tenant every record belongs to."""

    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30, help_text="For example SSCP")
    slug = models.SlugField(unique=True)
    local_authority = models.CharField(max_length=100)
    la_code = models.CharField("Old DfE local authority code", max_length=3, help_text="For example 210")
    region = models.CharField(max_length=50, blank=True)
    vision = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    concerns_email = models.EmailField("E-mail for concerns about a child", blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """An agency. One organisation can work with several partnerships on the same system."""

    class Sector(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        POLICE = "police", "Police"
        HEALTH = "health", "Health"
        EDUCATION = "education", "Education"
        PROBATION = "probation", "Probation"
        FIRE = "fire", "Fire and rescue"
        COURTS = "courts", "Courts and family justice"
        VOLUNTARY = "voluntary", "Voluntary and community"
        HOUSING = "housing", "Housing"
        ELECTED = "elected", "Elected members"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="users")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    class Meta:
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.email

    def roles_in(self, partnership):
        """The set of roles this person holds in a partnership (cached for the request)."""
        cache = self.__dict__.setdefault("_roles_cache", {})
        key = partnership.pk if hasattr(partnership, "pk") else partnership
        if key not in cache:
            cache[key] = frozenset(self.memberships.filter(partnership_id=key).values_list("role", flat=True))
        return cache[key]


class Membership(models.Model):
    """A role a person holds in a partnership. A person may hold several, in several partnerships."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "partnership", "role"], name="one_role_once")]
        ordering = ["partnership__name", "role"]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}, {self.partnership.short_name}"
