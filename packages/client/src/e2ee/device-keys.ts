import { generateDeviceKey } from '@conclave/e2ee';

// Where a device keeps its long-term signing key per account and the device keys of the people
// it has met (trust on first use, issue 14). Browsers: IndexedDB, opened inside the E2EE worker,
// holding non-extractable CryptoKeys (structured clone keeps them non-extractable). Node bots:
// memory, one store per simulated device.

export interface DeviceKeyStore {
  /** This device's key for `accountUserId`, made (and kept) on first use. */
  deviceKey(accountUserId: string): Promise<CryptoKeyPair>;
  /** Every account met before, with the device keys (base64) accepted for it. */
  knownDevices(): Promise<Map<string, string[]>>;
  /** Remembers a device key for an account (first meeting, or the person accepted it). */
  remember(accountUserId: string, deviceKey: string): Promise<void>;
}

export class MemoryDeviceKeyStore implements DeviceKeyStore {
  readonly #keys = new Map<string, Promise<CryptoKeyPair>>();
  readonly #known = new Map<string, string[]>();

  deviceKey(accountUserId: string): Promise<CryptoKeyPair> {
    let k = this.#keys.get(accountUserId);
    if (!k) {
      k = generateDeviceKey();
      this.#keys.set(accountUserId, k);
    }
    return k;
  }

  knownDevices(): Promise<Map<string, string[]>> {
    return Promise.resolve(new Map([...this.#known].map(([u, ks]) => [u, [...ks]])));
  }

  remember(accountUserId: string, deviceKey: string): Promise<void> {
    const ks = this.#known.get(accountUserId) ?? [];
    if (!ks.includes(deviceKey)) this.#known.set(accountUserId, [...ks, deviceKey]);
    return Promise.resolve();
  }
}

const DB = 'conclave-device-keys';
const OWN = 'own';
const MET = 'met';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** The browser store: one IndexedDB database, two object stores. */
export class IndexedDbDeviceKeyStore implements DeviceKeyStore {
  #db: Promise<IDBDatabase> | undefined;
  readonly #making = new Map<string, Promise<CryptoKeyPair>>();

  #open(): Promise<IDBDatabase> {
    this.#db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => {
        r.result.createObjectStore(OWN);
        r.result.createObjectStore(MET);
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error ?? new Error('IndexedDB is not available'));
    });
    return this.#db;
  }

  async #get<T>(store: string, key: string): Promise<T | undefined> {
    const db = await this.#open();
    return request(db.transaction(store).objectStore(store).get(key)) as Promise<T | undefined>;
  }

  async #put(store: string, key: string, value: unknown): Promise<void> {
    const db = await this.#open();
    await request(db.transaction(store, 'readwrite').objectStore(store).put(value, key));
  }

  deviceKey(accountUserId: string): Promise<CryptoKeyPair> {
    let k = this.#making.get(accountUserId);
    if (!k) {
      k = (async () => {
        const stored = await this.#get<CryptoKeyPair>(OWN, accountUserId);
        if (stored) return stored;
        const made = await generateDeviceKey();
        await this.#put(OWN, accountUserId, made);
        return made;
      })();
      this.#making.set(accountUserId, k);
      k.catch(() => this.#making.delete(accountUserId));
    }
    return k;
  }

  async knownDevices(): Promise<Map<string, string[]>> {
    const db = await this.#open();
    const store = db.transaction(MET).objectStore(MET);
    const [keys, values] = await Promise.all([
      request(store.getAllKeys()),
      request(store.getAll() as IDBRequest<string[][]>),
    ]);
    return new Map(keys.map((k, i) => [k as string, values[i] ?? []]));
  }

  async remember(accountUserId: string, deviceKey: string): Promise<void> {
    const ks = (await this.#get<string[]>(MET, accountUserId)) ?? [];
    if (!ks.includes(deviceKey)) await this.#put(MET, accountUserId, [...ks, deviceKey]);
  }
}
