# `HttpsURLConnection.setDefaultHostnameVerifier((h, s) -> true)` after d8's
# lambda desugaring, and an Apache client set up with ALLOW_ALL after a
# switch whose payload sits in the middle of the code.
.class public final Lcom/example/smali/Net;
.super Ljava/lang/Object;

.method static synthetic lambda$client$0(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z
    .registers 2
    const/4 p0, 0x1
    return p0
.end method

.method public static client()V
    .registers 1
    new-instance v0, Lcom/example/smali/Net$$ExternalSyntheticLambda0;
    invoke-direct {v0}, Lcom/example/smali/Net$$ExternalSyntheticLambda0;-><init>()V
    invoke-static {v0}, Ljavax/net/ssl/HttpsURLConnection;->setDefaultHostnameVerifier(Ljavax/net/ssl/HostnameVerifier;)V
    return-void
.end method

.method public static apache(ILorg/apache/http/conn/ssl/SSLSocketFactory;)V
    .registers 4
    packed-switch p0, :pswitch_data_0
    goto :after
    :pswitch_0
    nop
    :pswitch_1
    nop
    :pswitch_data_0
    .packed-switch 0x0
        :pswitch_0
        :pswitch_1
    .end packed-switch
    :array_0
    .array-data 4
        0x1
        0x2
        0x3
    .end array-data
    :after
    sget-object v0, Lorg/apache/http/conn/ssl/SSLSocketFactory;->ALLOW_ALL_HOSTNAME_VERIFIER:Lorg/apache/http/conn/ssl/X509HostnameVerifier;
    invoke-virtual {p1, v0}, Lorg/apache/http/conn/ssl/SSLSocketFactory;->setHostnameVerifier(Lorg/apache/http/conn/ssl/X509HostnameVerifier;)V
    return-void
.end method
