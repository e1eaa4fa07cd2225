import { describe, expect, it } from 'vitest';
import { parseHubHandle } from '../../src/config/hub.js';
import { parseAssetRef } from '../../src/config/refs.js';

describe('parseAssetRef: every form Azure ML YAML uses', () => {
  it.each([
    ['azureml:tf-gpu:3', { kind: 'versioned', name: 'tf-gpu', version: '3' }],
    ['azureml:flowers@latest', { kind: 'label', name: 'flowers', label: 'latest' }],
    [
      'azureml:AzureML-tensorflow-2.16-cuda12@latest',
      { kind: 'label', name: 'AzureML-tensorflow-2.16-cuda12', label: 'latest' },
    ],
    ['azureml:flowers@prod', { kind: 'label', name: 'flowers', label: 'prod' }],
    ['azureml:flowers', { kind: 'unversioned', name: 'flowers' }],
    [
      'azureml://registries/azureml/environments/sklearn-1.5/versions/12',
      {
        kind: 'registry-versioned',
        registry: 'azureml',
        assetType: 'environments',
        name: 'sklearn-1.5',
        version: '12',
      },
    ],
    [
      'azureml://registries/shared/models/flowers/labels/latest',
      { kind: 'registry-label', registry: 'shared', assetType: 'models', name: 'flowers', label: 'latest' },
    ],
    [
      'azureml://registries/shared/environments/tf@latest',
      { kind: 'registry-label', registry: 'shared', assetType: 'environments', name: 'tf', label: 'latest' },
    ],
    [
      'azureml://subscriptions/0000/resourcegroups/rg/workspaces/ws/data/flowers/versions/4',
      { kind: 'workspace-versioned', assetType: 'data', name: 'flowers', version: '4' },
    ],
    ['file:./environments/env.yml', { kind: 'file', path: './environments/env.yml' }],
    [
      'azureml://datastores/workspaceblobstore/paths/flowers/v4/',
      { kind: 'datastore', datastore: 'workspaceblobstore', path: 'flowers/v4/' },
    ],
    [
      'https://azuremlexamples.blob.core.windows.net/datasets/iris.csv',
      { kind: 'url', url: 'https://azuremlexamples.blob.core.windows.net/datasets/iris.csv' },
    ],
    [
      'wasbs://data@account.blob.core.windows.net/flowers',
      { kind: 'url', url: 'wasbs://data@account.blob.core.windows.net/flowers' },
    ],
    ['./data/flowers', { kind: 'local', path: './data/flowers' }],
    ['../data', { kind: 'local', path: '../data' }],
    ['azureml://something/odd', { kind: 'other', text: 'azureml://something/odd' }],
    ['{{weird}}', { kind: 'other', text: '{{weird}}' }],
  ])('%s', (text, expected) => {
    expect(parseAssetRef(text)).toEqual(expected);
  });
});

describe('parseHubHandle', () => {
  it.each([
    [
      'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_100_224/feature_vector/3/default/1',
      {
        kind: 'tfhub',
        version: '3',
        base: 'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_100_224/feature_vector',
      },
    ],
    [
      'https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector/5',
      { kind: 'tfhub', version: '5', base: 'https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector' },
    ],
    [
      'https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector',
      { kind: 'tfhub', base: 'https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector' },
    ],
    [
      'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/100-224-feature-vector/3',
      {
        kind: 'kaggle',
        version: '3',
        base: 'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/100-224-feature-vector',
      },
    ],
    [
      'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/100-224-feature-vector',
      { kind: 'kaggle', base: 'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/100-224-feature-vector' },
    ],
    [
      'google/mobilenet-v2/tfJs/100-224-feature-vector/2',
      { kind: 'kaggle', version: '2', base: 'google/mobilenet-v2/tfJs/100-224-feature-vector' },
    ],
    [
      'https://models.example.com/flowers/model.json',
      { kind: 'url', url: 'https://models.example.com/flowers/model.json' },
    ],
    ['./models/mobilenet', { kind: 'local', path: './models/mobilenet' }],
    ['models/mobilenet', { kind: 'local', path: 'models/mobilenet' }],
  ])('%s', (hub, expected) => {
    expect(parseHubHandle(hub)).toMatchObject(expected);
    if (!('version' in expected)) expect(parseHubHandle(hub)).not.toHaveProperty('version', expect.anything());
  });
});
