package inventory

import "strings"

// services names the SDKs and services behind well-known hosts. A host
// matches an entry when it equals the suffix or ends in "."+suffix; the
// longest matching suffix wins, so firebaseio.com is "Firebase" although
// googleapis.com is "Google".
var services = map[string]string{
	// Google and Firebase
	"firebaseio.com": "Firebase", "firebasedatabase.app": "Firebase", "firebaseapp.com": "Firebase",
	"firebase.google.com": "Firebase", "firebasestorage.googleapis.com": "Firebase",
	"firebaseinstallations.googleapis.com": "Firebase", "firebaseremoteconfig.googleapis.com": "Firebase",
	"firebaselogging-pa.googleapis.com": "Firebase", "fcm.googleapis.com": "Firebase",
	"firestore.googleapis.com": "Firebase", "identitytoolkit.googleapis.com": "Firebase",
	"securetoken.googleapis.com": "Firebase", "app-measurement.com": "Firebase", "web.app": "Firebase",
	"page.link": "Firebase", "crashlytics.com": "Crashlytics", "firebase-settings.crashlytics.com": "Crashlytics",
	"googleapis.com": "Google", "google.com": "Google", "gstatic.com": "Google", "googleusercontent.com": "Google",
	"google-analytics.com": "Google Analytics", "googletagmanager.com": "Google Analytics",
	"doubleclick.net": "Google Ads", "googlesyndication.com": "Google Ads", "googleadservices.com": "Google Ads",
	"admob.com": "Google Ads", "youtube.com": "Google", "appspot.com": "Google Cloud", "run.app": "Google Cloud",
	"cloudfunctions.net": "Google Cloud", "storage.googleapis.com": "Google Cloud Storage",
	// Meta
	"facebook.com": "Facebook SDK", "facebook.net": "Facebook SDK", "fbcdn.net": "Facebook SDK",
	"graph.facebook.com": "Facebook SDK", "instagram.com": "Instagram", "whatsapp.com": "WhatsApp",
	// Analytics, attribution, engagement
	"adjust.com": "Adjust", "adj.st": "Adjust", "appsflyer.com": "AppsFlyer", "appsflyersdk.com": "AppsFlyer",
	"onelink.me": "AppsFlyer", "amplitude.com": "Amplitude", "mixpanel.com": "Mixpanel",
	"segment.io": "Segment", "segment.com": "Segment", "branch.io": "Branch", "app.link": "Branch",
	"onesignal.com": "OneSignal", "braze.com": "Braze", "appboy.com": "Braze", "braze.eu": "Braze",
	"kochava.com": "Kochava", "singular.net": "Singular", "flurry.com": "Flurry", "heapanalytics.com": "Heap",
	"clevertap.com": "CleverTap", "clevertap-prod.com": "CleverTap", "intercom.io": "Intercom",
	"intercomcdn.com": "Intercom", "zendesk.com": "Zendesk", "hotjar.com": "Hotjar", "fullstory.com": "FullStory",
	"posthog.com": "PostHog", "optimizely.com": "Optimizely", "launchdarkly.com": "LaunchDarkly",
	"split.io": "Split", "revenuecat.com": "RevenueCat", "iterable.com": "Iterable", "airship.com": "Airship",
	"urbanairship.com": "Airship", "pusher.com": "Pusher", "pushwoosh.com": "Pushwoosh",
	// Monitoring
	"sentry.io": "Sentry", "ingest.sentry.io": "Sentry", "datadoghq.com": "Datadog", "datadoghq.eu": "Datadog",
	"browser-intake-datadoghq.com": "Datadog", "bugsnag.com": "Bugsnag", "instabug.com": "Instabug",
	"newrelic.com": "New Relic", "nr-data.net": "New Relic", "rollbar.com": "Rollbar", "raygun.io": "Raygun",
	"embrace.io": "Embrace", "appdynamics.com": "AppDynamics", "dynatrace.com": "Dynatrace",
	"logrocket.com": "LogRocket", "lr-ingest.io": "LogRocket", "honeycomb.io": "Honeycomb",
	// Payments
	"stripe.com": "Stripe", "stripe.network": "Stripe", "paypal.com": "PayPal", "braintreegateway.com": "Braintree",
	"braintree-api.com": "Braintree", "adyen.com": "Adyen", "squareup.com": "Square", "razorpay.com": "Razorpay",
	"klarna.com": "Klarna",
	// Cloud and backends
	"amazonaws.com": "AWS", "s3.amazonaws.com": "AWS S3", "cloudfront.net": "AWS CloudFront",
	"amplifyapp.com": "AWS Amplify", "blob.core.windows.net": "Azure Storage", "windows.net": "Azure",
	"azurewebsites.net": "Azure", "azure.com": "Azure", "microsoft.com": "Microsoft", "microsoftonline.com": "Microsoft",
	"supabase.co": "Supabase", "supabase.in": "Supabase", "herokuapp.com": "Heroku", "vercel.app": "Vercel",
	"netlify.app": "Netlify", "cloudflare.com": "Cloudflare", "workers.dev": "Cloudflare",
	"parseapi.back4app.com": "Back4App", "realm.mongodb.com": "MongoDB Realm", "mongodb.net": "MongoDB Atlas",
	"algolia.net": "Algolia", "algolianet.com": "Algolia", "auth0.com": "Auth0", "okta.com": "Okta",
	"twilio.com": "Twilio", "sendgrid.net": "SendGrid", "sendgrid.com": "SendGrid", "mailgun.net": "Mailgun",
	"pubnub.com": "PubNub", "agora.io": "Agora", "sendbird.com": "Sendbird", "getstream.io": "Stream",
	"contentful.com": "Contentful", "cloudinary.com": "Cloudinary", "imgix.net": "imgix",
	// Maps, social, platforms
	"mapbox.com": "Mapbox", "here.com": "HERE", "apple.com": "Apple", "icloud.com": "Apple",
	"mzstatic.com": "Apple", "itunes.apple.com": "Apple", "twitter.com": "Twitter", "x.com": "Twitter",
	"linkedin.com": "LinkedIn", "github.com": "GitHub", "githubusercontent.com": "GitHub",
	"snapchat.com": "Snap", "tiktok.com": "TikTok", "tiktokv.com": "TikTok", "applovin.com": "AppLovin",
	"unity3d.com": "Unity", "unityads.unity3d.com": "Unity Ads", "ironsrc.com": "ironSource",
	"vungle.com": "Vungle", "chartboost.com": "Chartboost", "inmobi.com": "InMobi", "mopub.com": "MoPub",
	"openai.com": "OpenAI", "anthropic.com": "Anthropic", "expo.dev": "Expo", "exp.host": "Expo",
	"codepush.appcenter.ms": "CodePush", "appcenter.ms": "App Center", "onetrust.com": "OneTrust",
	"cookielaw.org": "OneTrust", "recaptcha.net": "Google",
}

// serviceOf names the service behind host, or "".
func serviceOf(host string) string {
	for h := host; ; { // longest suffix first: from the full host down
		if name, ok := services[h]; ok {
			return name
		}
		i := strings.IndexByte(h, '.')
		if i < 0 {
			return ""
		}
		h = h[i+1:]
	}
}
