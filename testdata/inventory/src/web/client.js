// ShopFast web client. Docs: see the README.
const API = "https://api.shopfast.com/v2";
const socket = new WebSocket("wss://live.shopfast.com/stream?channel=orders");

export async function order(id) {
  return fetch(`${API}/orders/${id}`, { credentials: "include" });
}

export const paths = { cart: "/api/v2/cart/123", me: '/api/v2/users/me' };

amplitude.init("https://api2.amplitude.com/2/httpapi");
fetch("http://localhost:3000/api/v2/debug");
fetch("http://metadata.google.internal/computeMetadata/v1/");
const exampleDoc = "https://api.example.com/v1/demo";
