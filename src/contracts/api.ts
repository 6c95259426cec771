/** Shared constants of the HTTP and MQTT interfaces; the answers' shapes are in ./answers. */

/** Error body of every 4xx/5xx answer. */
export interface ApiError {
  error: string;
  message: string;
}

/** MQTT username browsers use; the password is their login token. */
export const BROWSER_MQTT_USERNAME = 'browser';
/** MQTT username of devices and gateways (password `CITYTWIN_DEVICE_PASSWORD`). */
export const DEVICE_MQTT_USERNAME = 'device';
