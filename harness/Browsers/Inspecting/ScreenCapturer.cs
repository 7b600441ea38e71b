using Harness.Adb;

namespace Harness.Browsers;

/// <summary>
/// Takes a <see cref="ScreenCapture"/>. A dump that fails transiently ("could not get idle state" while a page
/// animates) is retried until <c>timeout</c>; one that fails for good (MIUI's stack trace alone) is reported at once.
/// </summary>
public static class ScreenCapturer
{
    public static async Task<ScreenCapture> CaptureAsync(IDeviceUi device, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var started = time.GetTimestamp();
        Adb.Ui.UiHierarchy? screen = null;
        string? dumpProblem = null;
        while (true)
        {
            try
            {
                screen = await device.DumpAsync(cancellationToken).ConfigureAwait(false);
                dumpProblem = null;
                break;
            }
            catch (UiDumpFailedException e)
            {
                dumpProblem = e.Message;
                if (!e.Transient || time.GetElapsedTime(started) >= timeout) break;
            }
            catch (AdbException e)
            {
                dumpProblem = e.Message;
                break;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken).ConfigureAwait(false);
        }
        byte[]? png = null;
        string? screenshotProblem = null;
        try
        {
            png = await device.ScreenshotPngAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AdbException e)
        {
            screenshotProblem = e.Message;
        }
        return new ScreenCapture(screen, png, dumpProblem, screenshotProblem);
    }
}
