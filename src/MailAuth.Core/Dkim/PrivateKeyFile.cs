using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace MailAuth.Dkim
{
    /// <summary>
    /// Writes private-key files readable by their owner only. On Linux and macOS the file is created with mode 0600
    /// (through <c>FileStreamOptions.UnixCreateMode</c> when the runtime has it, .NET 7 and later, so the file never
    /// exists with wider permissions; otherwise it is created empty, chmod-ed to 0600, and only then written).
    /// On Windows the file gets the ACL it inherits from its folder; <see cref="Write"/> then returns false.
    /// </summary>
    public static class PrivateKeyFile
    {
        /// <summary>Unix mode 0600: read and write for the owner only.</summary>
        public const int OwnerOnlyMode = 0x180;

        /// <summary>True on Linux, macOS and other Unix systems.</summary>
        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>
        /// Writes <paramref name="content"/> (ASCII/UTF-8 text) to a new file. Returns true when the file was created
        /// owner-only (Unix mode 0600), false when the platform's default permissions apply (Windows).
        /// </summary>
        /// <param name="path">The file to create.</param>
        /// <param name="content">The text, typically a PEM private key.</param>
        /// <param name="overwrite">Replace an existing file (it is deleted first, so its old permissions do not carry over).</param>
        /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
        /// <exception cref="UnauthorizedAccessException">No permission to write there.</exception>
        public static bool Write(string path, string content, bool overwrite)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            if (content is null) throw new ArgumentNullException(nameof(content));
            var full = Path.GetFullPath(path);
            if (File.Exists(full))
            {
                if (!overwrite) throw new IOException($"The file '{full}' already exists.");
                File.Delete(full);
            }
            var bytes = new UTF8Encoding(false).GetBytes(content);
            if (!IsUnix)
            {
                using (var fs = new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                    fs.Write(bytes, 0, bytes.Length);
                return false;
            }
            using (var fs = CreateOwnerOnly(full))
            {
                fs.Write(bytes, 0, bytes.Length);
                fs.Flush(true);
            }
            return true;
        }

        /// <summary>Creates a new file with mode 0600 and opens it for writing.</summary>
        internal static FileStream CreateOwnerOnly(string path)
        {
            var fs = TryCreateWithUnixCreateMode(path);
            if (fs != null) return fs;
            return CreateThenChmod(path);
        }

        /// <summary>.NET 7+: new FileStream(path, new FileStreamOptions { Mode = CreateNew, UnixCreateMode = 0600 }).</summary>
        internal static FileStream? TryCreateWithUnixCreateMode(string path)
        {
            var optionsType = typeof(FileStream).Assembly.GetType("System.IO.FileStreamOptions");
            var modeProperty = optionsType?.GetProperty("UnixCreateMode");
            var ctor = optionsType is null ? null : typeof(FileStream).GetConstructor(new[] { typeof(string), optionsType });
            if (optionsType is null || modeProperty is null || ctor is null) return null;
            var options = Activator.CreateInstance(optionsType);
            optionsType.GetProperty("Mode")!.SetValue(options, FileMode.CreateNew);
            optionsType.GetProperty("Access")!.SetValue(options, FileAccess.Write);
            optionsType.GetProperty("Share")!.SetValue(options, FileShare.None);
            var unixMode = Enum.ToObject(Nullable.GetUnderlyingType(modeProperty.PropertyType) ?? modeProperty.PropertyType, OwnerOnlyMode);
            modeProperty.SetValue(options, unixMode);
            try { return (FileStream)ctor.Invoke(new[] { path, options }); }
            catch (TargetInvocationException ex) when (ex.InnerException != null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }

        /// <summary>Older runtimes: create the file empty, chmod it to 0600, then open it for writing (no secret is written before the chmod).</summary>
        internal static FileStream CreateThenChmod(string path)
        {
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
            if (chmod(path, OwnerOnlyMode) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                try { File.Delete(path); } catch (IOException) { }
                throw new IOException($"Could not restrict '{path}' to its owner (chmod failed, errno {errno}).");
            }
            return new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None);
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int chmod(string path, uint mode);
    }
}
