using Payments.Providers.Wallets;

namespace Payments.Server.Features.Wallets;

/// <summary>
/// <c>GET /.well-known/apple-developer-merchantid-domain-association</c>: the file Stripe gives you for
/// Apple Pay, served as configured (<c>APPLE_PAY_DOMAIN_ASSOCIATION_FILE</c>, read at start), so Apple,
/// asked by Stripe when the domain is registered (<c>payments-cli stripe register-domain</c>), finds
/// it on the storefront's host. 404 while Apple Pay is off: the path then says nothing.
/// </summary>
public static class AppleDomainAssociation
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet(ApplePayOptions.DomainAssociationPath, (ApplePayOptions applePay) =>
                applePay is { Enabled: true, DomainAssociation: { } content }
                    ? Results.Text(content, "text/plain; charset=utf-8")
                    : Results.NotFound())
            .WithTags("Wallets")
            .ExcludeFromDescription();
}
