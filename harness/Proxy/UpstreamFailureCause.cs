using System.Net.Sockets;
using System.Security.Authentication;

namespace Harness.Proxy;

/// <summary>
/// Why the proxy could not get an answer from an origin, recorded on the flow as tag <c>upstreamFailure</c> beside the
/// error's kind and message: <c>dns</c>, <c>refused</c>, <c>tls</c>, <c>timeout</c>, <c>reset</c> or <c>protocol</c>.
/// </summary>
public static class UpstreamFailureCause
{
    public const string TagName = "upstreamFailure";

    public static string Of(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case TimeoutException:
                    return "timeout";
                case AuthenticationException:
                    return "tls";
                case SocketException s when s.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData or SocketError.NoRecovery:
                    return "dns";
                case SocketException s when s.SocketErrorCode is SocketError.ConnectionRefused:
                    return "refused";
                case SocketException s when s.SocketErrorCode is SocketError.TimedOut:
                    return "timeout";
                case SocketException s when s.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown:
                    return "reset";
            }
        }
        return exception is IOException || exception.InnerException is IOException ? "reset" : "protocol";
    }
}
