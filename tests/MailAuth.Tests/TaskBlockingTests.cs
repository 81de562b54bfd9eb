using MailAuth;
using Xunit;

namespace MailAuth.Tests;

/// <summary>Blocking on a task without spinning: the same outcomes as Task.Wait(timeout, token).</summary>
public class TaskBlockingTests
{
    [Fact]
    public void ACompletedTaskReturnsAtOnce() =>
        Assert.True(TaskBlocking.Wait(Task.CompletedTask, TimeSpan.Zero, CancellationToken.None));

    [Fact]
    public void ATaskThatCompletesWhileWaitingReturnsTrue()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(async () => { await Task.Delay(20); source.SetResult(); });
        Assert.True(TaskBlocking.Wait(source.Task, TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    [Fact]
    public void AFaultedTaskCountsAsCompletedAndDoesNotThrow()
    {
        var faulted = Task.FromException(new InvalidOperationException("boom"));
        Assert.True(TaskBlocking.Wait(faulted, TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Fact]
    public void TheTimeoutReturnsFalse()
    {
        var never = new TaskCompletionSource().Task;
        Assert.False(TaskBlocking.Wait(never, TimeSpan.FromMilliseconds(10), CancellationToken.None));
    }

    [Fact]
    public void CancellationThrowsEvenWhenTheTaskEndsWithIt()
    {
        using var cts = new CancellationTokenSource();
        var source = new TaskCompletionSource();
        cts.Token.Register(() => source.TrySetCanceled());
        cts.CancelAfter(20);
        Assert.ThrowsAny<OperationCanceledException>(() => TaskBlocking.Wait(source.Task, TimeSpan.FromSeconds(30), cts.Token));
    }
}
