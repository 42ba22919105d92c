from integration_hub import permissions


def current_organization(request):
    """The organisation switcher and role for the navbar."""
    access = getattr(request, "access", None)
    if access is None:
        return {"access": None}
    return {
        "access": access,
        "current_organization": access.organization,
        # Network staff reach affiliates through the affiliates page, not a 400-item menu.
        "switchable_organizations": access.member_of,
        "can_edit": access.can_edit,
        "can_admin": access.can_admin,
        "is_network_staff": permissions.is_network_staff(access),
    }
