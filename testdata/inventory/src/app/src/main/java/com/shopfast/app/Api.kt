package com.shopfast.app

import retrofit2.http.GET
import retrofit2.http.Path

object Endpoints {
    const val BASE_URL = "https://api.shopfast.com/v2/"
    const val LEGACY = "http://legacy.shopfast.com/api/orders?customer=7&token=abc"
    const val IMAGES = "https://cdn.shopfast.com/img/4f3c2a1b9d8e7f60a1b2/large.png"
    const val SENTRY_DSN = "https://f3a9c2e1b0d94c7e8a6b5d4c3e2f1a0b@o123456.ingest.sentry.io/4504"
    const val FIREBASE_DB = "https://shopfast-prod.firebaseio.com"
    const val BUCKET = "shopfast-uploads.s3.eu-west-1.amazonaws.com"
    const val LOCAL = "http://10.0.2.2:8080/api/dev"
    const val DEEP_LINK = "shopfast://product/12345"
}

interface ShopService {
    @GET("/api/v2/products/{id}")
    suspend fun product(@Path("id") id: String): Product

    @GET("/v2/cart")
    suspend fun cart(): Cart
}
