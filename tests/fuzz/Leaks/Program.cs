using Harness.Fuzz;

return FuzzHost.Main(args, new Dictionary<string, Action<byte[]>>
{
    ["scan-decoders"] = ScanTargets.Decoders,
    ["canary-file"] = ScanTargets.CanaryFile,
});
