#:project ../../harness/VirtualDevice/Harness.VirtualDevice.csproj
#:property PublishAot=false
#:property JsonSerializerIsReflectionEnabledByDefault=true
// Writes the virtual APK of every shipped browser version next to this file:
//   dotnet run tests/apks/build-apks.cs
// `adb install FILE.apk` on a virtual phone installs that version; a real phone refuses them (they are not real APKs).
using Harness.VirtualDevice.Browsers;

var folder = args.Length > 0 ? args[0] : Path.GetDirectoryName(Path.GetFullPath("tests/apks/build-apks.cs"))!;
Directory.CreateDirectory(folder);
foreach (var version in BrowserCatalog.Versions)
{
    var path = Path.Combine(folder, version.ApkFileName);
    File.WriteAllBytes(path, version.BuildApk());
    Console.WriteLine($"{path}\t{version.Flavor.Package} {version.VersionName} ({version.VersionCode})");
}
