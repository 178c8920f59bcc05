namespace Payments.Server.Hosting;

/// <summary>
/// What the service keeps on disk (the SQLite database, receipt PDFs, the data-protection key ring) is
/// about payments and customers: only the service's own user may read it. Folders it creates are 700,
/// files 600, whatever the umask (usually 022, which made them world-readable). Folders that already
/// exist are the operator's and keep their mode. Windows has no such modes; its ACLs are inherited.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = FileMode | UnixFileMode.UserExecute;

    /// <summary>Creates the folder (and missing parents) as 700.</summary>
    public static DirectoryInfo CreateDirectory(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, FolderMode);

    /// <summary>Creates an empty file as 600 unless it exists (an empty file is also an empty SQLite database).</summary>
    public static void CreateFile(string path)
    {
        if (File.Exists(path)) return;
        var options = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by someone else meanwhile (another process starting on the same file): theirs stands.
        }
    }

    /// <summary>Makes a file written by another program (Chromium) 600.</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, FileMode);
    }
}
