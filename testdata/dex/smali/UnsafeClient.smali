# A client that proceeds when a debug flag it set itself is on: not the
# FLAG_DEBUGGABLE test, so not gated.
.class public Lcom/example/smali/UnsafeClient;
.super Landroid/webkit/WebViewClient;

.field private debug:Z

.method public onReceivedSslError(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V
    .registers 5
    iget-boolean v0, p0, Lcom/example/smali/UnsafeClient;->debug:Z
    if-eqz v0, :cond_0
    invoke-virtual {p2}, Landroid/webkit/SslErrorHandler;->proceed()V
    return-void
    :cond_0
    invoke-virtual {p2}, Landroid/webkit/SslErrorHandler;->cancel()V
    return-void
.end method
