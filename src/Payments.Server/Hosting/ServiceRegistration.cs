using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Payments.Providers;
using Payments.Server.Data;
using Payments.Server.Data.Sql;
using Payments.Server.Features.Auth;
using Payments.Server.Features.Billing;
using Payments.Server.Features.Credits;
using Payments.Server.Features.Idempotency;
using Payments.Server.Features.Limits;
using Payments.Server.Features.Mail;
using Payments.Server.Features.Outbox;
using Payments.Server.Features.Payments;
using Payments.Server.Features.Payments.Refunds;
using Payments.Server.Features.Receipts;
using Payments.Server.Features.Subscriptions;
using Payments.Server.Features.Webhooks;

namespace Payments.Server.Hosting;

public static class ServiceRegistration
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Everything the service needs, registered in one place (Program.cs stays short).</summary>
    public static WebApplicationBuilder AddPaymentsServices(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.WebHost.UseUrls(DefaultUrl);

        var services = builder.Services;
        services.Configure<JsonOptions>(o =>
        {
            // The API speaks snake_case JSON (payment_id, redirect_url), like the seed documents.
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        });
        // Malformed JSON becomes an exception, so the one problem-details mapping answers it.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Complete);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddPaymentsOpenApi();
        services.AddPaymentsAuth();
        services.AddBrowserSupport();
        services.AddPaymentsRateLimits();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => SiteOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => TrustedProxies.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<PlanCatalog>();
        services.AddSingleton<PurchaseResolver>();
        services.AddCredits();
        services.AddPaymentProviders();
        services.AddSingleton<Features.Pages.WalletButtons>(); // the storefront's Google Pay and Apple Pay buttons
        DummyCheckoutStore.Register(services); // where the dummy provider keeps its checkouts: our database
        MobilePayWebhookStore.Register(services); // and MobilePay its registered webhooks' secrets
        services.AddPaymentsDatabase();
        services.AddWebhookIntake();
        services.AddPayments();
        services.AddOutbox();
        services.AddHostedService<IdempotencyJanitor>();
        services.AddReceipts();
        services.AddBilling();
        services.AddSubscriptions();
        Features.Vendors.VendorsRegistration.AddVendors(services);
        services.AddMail();
        services.AddHttpClient("self");
        builder.AddPaymentsObservability();
        return builder;
    }

    /// <summary>
    /// Resolves everything configuration-driven once, so a missing secret or a bad price stops the
    /// process before it listens, and brings the database schema up to date.
    /// </summary>
    public static async Task PrepareAsync(this WebApplication app)
    {
        try
        {
            _ = app.Services.GetRequiredService<SiteOptions>();
            _ = app.Services.GetRequiredService<PlanCatalog>();
            _ = app.Services.GetRequiredService<CreditCatalog>();
            _ = app.Services.GetRequiredService<ProviderRegistry>();
            _ = app.Services.GetRequiredService<DatabaseChoice>();
            _ = app.Services.GetRequiredService<AuthOptions>();
            _ = app.Services.GetRequiredService<RateLimits.Settings>();
            _ = app.Services.GetRequiredService<ReconciliationOptions>();
            _ = app.Services.GetRequiredService<ReceiptOptions>();
            _ = app.Services.GetRequiredService<OutboxOptions>();
            _ = app.Services.GetRequiredService<MailOptions>();
            _ = app.Services.GetRequiredService<TrustedProxies>();
            BillingRegistration.Validate(app.Services);
            _ = app.Services.GetRequiredService<SubscriptionOptions>();
            _ = app.Services.GetRequiredService<MetricsListener>();
            await app.Services.MigrateAtStartAsync(app.Logger);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException(e.Message, e);
        }
        await ApiKeys.EnsureAdminKeyAsync(app.Services, CancellationToken.None);
    }
}

/// <summary>Configuration that cannot work; the message names the setting to fix.</summary>
public sealed class StartupException(string message, Exception? inner) : Exception(message, inner);
