using System.CommandLine;
using Payments.Core.Errors;
using Payments.Core.Payments;
using Payments.Providers;
using Payments.Providers.MobilePay;
using Payments.Server.Data;
using Payments.Server.Features.Payments;

namespace Payments.Cli.Commands;

/// <summary>Vipps MobilePay has no dashboard page for webhooks: they are registered through its API, from here.</summary>
public static class MobilePayCommands
{
    public const string WebhookRoute = "api/v1/payment/webhook/mobilepay";

    public static Command Command()
    {
        var mobilePay = new Command("mobilepay", "Vipps MobilePay: register the webhook, release a reservation.");

        var url = new Option<string>("--url")
        {
            Description = $"Where Vipps sends events: https://<your host>/{WebhookRoute} (a bare https://<your host> gets that path).",
            Required = true,
        };
        var register = new Command("register-webhook", "Register the service's webhook for every ePayment event and store its secret.") { url };
        register.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var target = WebhookUrl(parse.GetValue(url)!);
            var webhook = await Provider(services).RegisterWebhookAsync(target, ct);
            await Context.Output.WriteLineAsync(
                $"id:     {webhook.Id}\nurl:    {webhook.Url}\nevents: {string.Join(", ", webhook.Events)}\n" +
                "secret: stored in the database (every node verifies deliveries with it)");
            return 0;
        }));

        var id = new Argument<string>("id") { Description = "Our payment id (pay_…) or its reference (mp-…)." };
        var cancel = new Command("cancel", "Release what a customer approved and was not captured, and apply Vipps's answer.") { id };
        cancel.SetAction(async (parse, ct) => await Context.WithServicesAsync(async services =>
        {
            var given = parse.GetValue(id)!;
            var payment = await Verify.FindAsync(services.GetRequiredService<PaymentsDb>(), services.GetRequiredService<ProviderRegistry>(), given, ct);
            if (payment is null || payment.Provider != MobilePayProvider.ProviderName || payment.ProviderPaymentId is null)
                throw PaymentsException.NotFound($"No Vipps MobilePay payment '{given}'.");
            var answer = await Provider(services).CancelAsync(payment.ProviderPaymentId, $"{payment.Id}-cancel", ct);
            var (updated, last) = await services.GetRequiredService<PaymentSettler>().ApplyObservedAsync(
                payment.Id, PaymentNews.ObservationsOf(answer), answer.ProviderReference, "cli:mobilepay-cancel", ct);
            await Context.Output.WriteLineAsync($"{updated.Id}  {payment.Status.ToWire()} → {updated.Status.ToWire()}" +
                                                (last?.Reason is { } why ? $"  ({why})" : ""));
            return 0;
        }));

        mobilePay.Subcommands.Add(register);
        mobilePay.Subcommands.Add(cancel);
        return mobilePay;
    }

    private static MobilePayProvider Provider(IServiceProvider services) =>
        services.GetRequiredService<ProviderRegistry>().Find(MobilePayProvider.ProviderName) as MobilePayProvider
        ?? throw new InvalidOperationException("The mobilepay provider is not the Vipps MobilePay adapter.");

    /// <summary>
    /// Vipps sends webhooks only to https URLs; plain http is accepted for loopback hosts (a local fake or a tunnel's
    /// local end), so tests and development need no certificate. A bare host gets the service's webhook route.
    /// </summary>
    public static Uri WebhookUrl(string raw)
    {
        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw PaymentsException.Validation($"--url '{raw}' is not an absolute https URL.");
        if (uri.Scheme == "http" && !uri.IsLoopback)
            throw PaymentsException.Validation($"--url '{raw}': Vipps MobilePay sends webhooks to https URLs only.");
        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
            throw PaymentsException.Validation($"--url '{raw}' must not carry credentials or a fragment.");
        return uri.AbsolutePath == "/" && uri.Query.Length == 0 ? new Uri(uri, WebhookRoute) : uri;
    }
}
