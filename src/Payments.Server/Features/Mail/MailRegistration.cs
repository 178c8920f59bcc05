using Payments.Server.Features.Payments;
using Payments.Server.Hosting;

namespace Payments.Server.Features.Mail;

public static class MailRegistration
{
    /// <summary>Mail: options (SMTP_URL, MAIL_FROM), the outbox API, the receipt on success, and the worker when SMTP_URL is set.</summary>
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddSingleton(sp => MailOptions.Read(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<SiteOptions>()));
        services.AddSingleton<MailOutbox>();
        services.AddScoped<IPaymentEffects, ReceiptMail>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<MailDispatcher>();
        // Always registered; it returns at once when mail is off (options are only known once the host is built).
        services.AddHostedService(sp => sp.GetRequiredService<MailDispatcher>());
        return services;
    }
}
