namespace Payments.Server.Features.Receipts;

public static class ReceiptsRegistration
{
    /// <summary>Receipt settings (read when first resolved, so test hosts can override them), the engine and the cache.</summary>
    public static IServiceCollection AddReceipts(this IServiceCollection services)
    {
        services.AddSingleton(sp => ReceiptOptions.From(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<IHostEnvironment>()));
        services.AddSingleton<IPdfRenderer, ChromiumPdfRenderer>();
        services.AddSingleton<ReceiptService>();
        return services;
    }
}
