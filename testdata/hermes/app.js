var config = { apiKey: "AKIAQ3EGRB5TCWLUW4NX", endpoint: "http://api.insecure-backend.net/graphql", greet: "Grüße, 世界 😀" };
var long = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCMIIEvQIBADANBgkqhkiG9w0BAQEFAASCMIIEvQIBADANBgkqhkiG9w0BAQEFAASCMIIEvQIBADANBgkqhkiG9w0BAQEFAASCMIIEvQIBADANBgkqhkiG9w0BAQEFAASCMIIEvQIBADANBgkqhkiG9w0BAQEFAASCMIIEvQIBADANBgkqhkiG9w0BAQEFAASCMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";
function fetchUser(id) { return fetch(config.endpoint + "?id=" + id, { headers: { "x-api-key": config.apiKey } }); }
print(fetchUser(1), long.length, config.greet);
