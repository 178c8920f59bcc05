using Payments.Server.Features.Payments;

namespace Payments.Server.Features.Credits;

/// <summary>Credits: packages, a double-entry ledger, referral bonuses, spending (issue 7).</summary>
public static class CreditsRegistration
{
    public static IServiceCollection AddCredits(this IServiceCollection services)
    {
        services.AddSingleton<CreditCatalog>();
        services.AddScoped<IPaymentEffects, CreditEffects>();
        return services;
    }

    public static void MapCredits(IEndpointRouteBuilder app)
    {
        var credits = app.MapGroup("/api/v1/credits").WithTags("Credits");
        CreditReads.Map(credits);
        SpendCredits.Map(credits);
        Referral.Map(credits);
    }
}
