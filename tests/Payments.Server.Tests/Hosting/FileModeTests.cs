using Microsoft.Extensions.Logging.Abstractions;
using Payments.Core.Payments;
using Payments.Server.Data;
using Payments.Server.Data.Entities;
using Payments.Server.Features.Receipts;
using Payments.Server.Tests.Support;

namespace Payments.Server.Tests.Hosting;

/// <summary>
/// What the service writes to disk holds payments and customers' receipts: only its own user may read
/// it (files 600, folders it creates 700), as the data-protection key ring already was.
/// </summary>
public class FileModeTests
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = OwnerFile | UnixFileMode.UserExecute;

    [Fact]
    public async Task The_SQLite_database_and_the_folder_made_for_it_are_readable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var root = Directory.CreateTempSubdirectory("payments-modes-").FullName;
        try
        {
            var path = Path.Combine(root, "data", "payments.db");
            await using (var app = new PaymentsApp(new ExistingSqlite(path)))
            {
                using var http = app.Client();
                (await http.PostJson("/api/v1/payment/create-intent", new { plan = "basic" })).EnsureSuccessStatusCode();
                Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(root, "data")));
                foreach (var file in Directory.GetFiles(Path.Combine(root, "data")))
                    Assert.True(OwnerFile == File.GetUnixFileMode(file), $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}");
                Assert.Contains(Path.Combine(root, "data", "payments.db"), Directory.GetFiles(Path.Combine(root, "data")));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_receipt_PDF_and_the_folder_made_for_it_are_readable_by_the_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var root = Directory.CreateTempSubdirectory("payments-modes-").FullName;
        try
        {
            var cache = Path.Combine(root, "data", "receipts");
            var options = new ReceiptOptions { Merchant = new Merchant("Shop", [], null), CacheDirectory = cache };
            using var service = new ReceiptService(options, new PlainFileRenderer(), NullLogger<ReceiptService>.Instance);
            var receipt = Receipt.For(new Payment
            {
                Id = "pay_01m80bes039q4zc3de0aepx4ax", Plan = "basic", Description = "Basic plan", AmountMinor = 1900, Currency = "EUR",
                Provider = "dummy", Status = PaymentStatus.Succeeded, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
                PaidAt = DateTimeOffset.UnixEpoch,
            }, options);

            await service.GetPdfAsync(receipt, CancellationToken.None);

            Assert.Equal(OwnerFolder, File.GetUnixFileMode(cache));
            var pdf = Assert.Single(Directory.GetFiles(cache));
            Assert.Equal(OwnerFile, File.GetUnixFileMode(pdf));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Writes its file as any program would (mode from the umask, usually 644), as Chromium does.</summary>
    private sealed class PlainFileRenderer : IPdfRenderer
    {
        public Task RenderAsync(string html, string pdfPath, CancellationToken cancellationToken) =>
            File.WriteAllTextAsync(pdfPath, "%PDF-1.4 test", cancellationToken);
    }

    private sealed class ExistingSqlite(string path) : ITestDatabase
    {
        public DatabaseKind Kind => DatabaseKind.Sqlite;
        public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["SQLITE_PATH"] = path };
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
