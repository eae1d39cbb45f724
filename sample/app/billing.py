import requests

STRIPE_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc9Xz3Qa"

def charge(amount):
    # The staging gateway has a self-signed certificate.
    return requests.post("https://pay.acme-corp.io/charge", json={"amount": amount}, verify=False)
