using Payments.Server.Features.Auth;

namespace Payments.Server.Features.Admin;

/// <summary>
/// The admin dashboard under <c>/admin</c>: every page needs the admin session cookie with role
/// admin (<see cref="AdminSession.PagesPolicy"/>); without it the browser is sent to the sign-in page.
/// </summary>
public static class AdminPages
{
    public static void Map(IEndpointRouteBuilder app)
    {
        SignInPage.Map(app);
        var admin = app.MapGroup("/admin").WithTags("Admin pages").ExcludeFromDescription()
            .RequireAuthorization(AdminSession.PagesPolicy);
        PaymentsPage.Map(admin);
        PaymentPage.Map(admin);
        RevenuePage.Map(admin);
        VendorsPage.Map(admin);
        WebhookEventsPage.Map(admin);
        OutgoingWebhooksPage.Map(admin);
        AuditPage.Map(admin);
        SubscriptionsPage.Map(admin);
    }
}
