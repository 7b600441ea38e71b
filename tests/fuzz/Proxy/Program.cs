using Harness.Fuzz;

return FuzzHost.Main(args, new Dictionary<string, Action<byte[]>>
{
    ["http1-request"] = Http1Targets.Request,
    ["http1-response"] = Http1Targets.Response,
    ["har"] = HarTargets.Read,
    ["h2-frames"] = Http2Targets.Frames,
    ["hpack"] = Http2Targets.Hpack,
});
