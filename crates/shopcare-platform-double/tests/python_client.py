"""Drive the platform double with an independent client: PyPI `tiktok-shop-api`.

Usage: python3 python_client.py BASE_URL APP_KEY APP_SECRET AUTH_CODE
Prints one JSON line with what it saw; exits non-zero on any error.
"""

import json
import sys

from tiktok_shop_api import TikTokShop, TikTokShopAuth, TikTokShopError


def main() -> int:
    base_url, app_key, app_secret, auth_code = sys.argv[1:5]
    auth = TikTokShopAuth(app_key, app_secret, base_url=base_url)
    tokens = auth.exchange_code(auth_code)
    client = TikTokShop(app_key, app_secret, access_token=tokens.access_token, base_url=base_url)
    shops = client.authorization.get_authorized_shops().data.shops
    shop = client.with_shop(shop_cipher=shops[0].cipher)

    order_ids = []
    page_token = None
    while True:
        kwargs = {"page_size": 100}
        if page_token:
            kwargs["page_token"] = page_token
        page = shop.orders.get_order_list(**kwargs).data
        order_ids.extend(order.id for order in page.orders)
        page_token = page.next_page_token
        if not page_token:
            break

    detail = shop.orders.get_order_detail(ids=order_ids[:2]).data
    returns = shop.return_and_refund.search_returns(page_size="50").data
    conversations = shop.customer_service.get_conversations(page_size=20).data

    refused = None
    try:
        TikTokShop(app_key, "not-the-secret", access_token=tokens.access_token, base_url=base_url) \
            .with_shop(shop_cipher=shops[0].cipher).orders.get_order_list(page_size=10)
    except TikTokShopError as error:
        refused = error.code

    refreshed = auth.refresh(tokens.refresh_token)
    print(json.dumps({
        "shops": len(shops),
        "orders": len(order_ids),
        "unique_orders": len(set(order_ids)),
        "detail": [order.id for order in detail.orders],
        "returns_page": len(returns.return_orders or []),
        "conversations_page": len(conversations.conversations or []),
        "bad_secret_code": refused,
        "refreshed": bool(refreshed.access_token),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
