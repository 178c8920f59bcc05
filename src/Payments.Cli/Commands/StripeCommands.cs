using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Payments.Core.Errors;
using Payments.Providers.Common;
using Payments.Providers.Stripe;
using Payments.Providers.Wallets;

namespace Payments.Cli.Commands;

/// <summary><c>payments-cli stripe …</c>: one-time set-up at Stripe that the service itself never does at run time.</summary>
public static class StripeCommands
{
    public static Command Command()
    {
        var stripe = new Command("stripe", "Set-up steps at Stripe.");

        var domain = new Option<string?>("--domain") { Description = $"The storefront's host (default: {ApplePayOptions.DomainNameVariable})." };
        var register = new Command("register-domain",
            "Register the storefront's domain for Apple Pay and Google Pay (POST /v1/payment_method_domains), or have Stripe check it again.") { domain };
        register.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            if (!services.GetRequiredService<StripeOptions>().Enabled)
                throw PaymentsException.Validation($"Stripe is not configured: set {StripeOptions.SecretKeyVariable} (and {StripeOptions.WebhookSecretVariable}).");
            var name = parse.GetValue(domain) ?? services.GetRequiredService<IConfiguration>().Value(ApplePayOptions.DomainNameVariable)
                       ?? throw PaymentsException.Validation($"Name the domain: set {ApplePayOptions.DomainNameVariable} or pass --domain.");
            var registered = await services.GetRequiredService<StripeWalletGateway>().RegisterDomainAsync(name.Trim().ToLowerInvariant(), ct);
            var o = Context.Output;
            await o.WriteLineAsync($"id: {registered.Id}");
            await o.WriteLineAsync($"domain: {registered.DomainName}");
            await o.WriteLineAsync($"enabled: {(registered.Enabled ? "true" : "false")}");
            await o.WriteLineAsync($"livemode: {(registered.Livemode ? "true" : "false")}");
            await o.WriteLineAsync($"apple_pay: {registered.ApplePay?.Status ?? "unknown"}{Why(registered.ApplePay?.StatusDetails?.ErrorMessage)}");
            await o.WriteLineAsync($"google_pay: {registered.GooglePay?.Status ?? "unknown"}{Why(registered.GooglePay?.StatusDetails?.ErrorMessage)}");
            // Registered but not usable for Apple Pay (the association file was not found, say): a failure the operator must see.
            if (registered.ApplePay?.Status == "active") return 0;
            throw new InvalidOperationException(
                $"Apple Pay is not active on {registered.DomainName}: {registered.ApplePay?.StatusDetails?.ErrorMessage ?? "Stripe gave no reason"}. " +
                $"Serve the association file ({ApplePayOptions.DomainAssociationPath}) on that host and run this again.");
        }));
        stripe.Subcommands.Add(register);
        return stripe;
    }

    private static string Why(string? error) => error is null ? "" : $" ({error})";
}
