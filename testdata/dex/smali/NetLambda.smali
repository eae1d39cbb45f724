.class public final synthetic Lcom/example/smali/Net$$ExternalSyntheticLambda0;
.super Ljava/lang/Object;
.implements Ljavax/net/ssl/HostnameVerifier;

.method public synthetic constructor <init>()V
    .registers 1
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public final verify(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z
    .registers 3
    invoke-static {p1, p2}, Lcom/example/smali/Net;->lambda$client$0(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z
    move-result p1
    return p1
.end method
